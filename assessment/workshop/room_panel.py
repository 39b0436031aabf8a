"""The room on the facilitator's page: join code, QR code, the projector's link, who finished.

Pure HTML (escaped, names isolated with ``<bdi>``), shown by :class:`~.facilitator.FacilitatorApp`
above its tabs when ``maturity workshop`` serves the participant app (it passes the join link
and the projector's link through :data:`~.config.ENV`).
"""

from __future__ import annotations

from collections.abc import Sequence

from assessment.text import direction, label
from assessment.workshop.pages import bdi, esc, qr_svg
from assessment.workshop.room import Progress

__all__ = ["room_html"]


def room_html(
    join_url: str, projector_url: str, people: Sequence[Progress], lang: str = "en"
) -> str:
    """The room panel: how to join (code and QR), the projector, who has finished.

    Parameters
    ----------
    join_url
        The QR link, ``http://HOST:PORT/j/CODE`` (empty: the panel says nothing).
    projector_url
        The projector's link with the facilitator's token (opened in a new tab).
    people
        Every participant's progress (:func:`.room.progress`).
    lang
        Language of the panel.

    Returns
    -------
    str
        The panel, or an empty string without a join link.
    """
    if not join_url:
        return ""
    base, _, code = join_url.rpartition("/j/")
    done = [p for p in people if p.finished]
    names = ", ".join(bdi(p.name) for p in done) or esc(label("room.nobody", lang))
    projector = (
        f" · <a href='{esc(projector_url)}' target='_blank' rel='noopener'>"
        f"{esc(label('room.open_projector', lang))}</a>"
        if projector_url
        else ""
    )
    return (
        f"<div dir='{direction(lang)}' class='ws-room' style='display:flex;gap:16px;"
        "align-items:center'>"
        f"<div style='width:120px' aria-label='{esc(label('room.scan', lang))}'>"
        f"{qr_svg(join_url)}</div><div>"
        f"<div>{label('room.join_at', lang, url=bdi(base))}{projector}</div>"
        f"<div style='font-size:28px;font-weight:800;letter-spacing:.12em' dir='ltr'>"
        f"{esc(code[:3])} {esc(code[3:])}</div>"
        f"<div class='ws-finished' data-finished='{len(done)}'>"
        f"<b>{esc(label('room.finished', lang))}</b> ({len(done)}/{len(people)}): {names}</div>"
        "</div></div>"
    )
