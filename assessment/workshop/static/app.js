// The workshop room's one script: progressive enhancement of server-rendered pages.
// Without it every page still works (forms post, links navigate).  With it:
// - an answer is sent in the background; while the server is unreachable (a restart, a
//   dropped Wi-Fi) it is kept on the phone (localStorage) and sent again once the server
//   answers; each press carries a fresh nonce, so a resend is stored once;
// - the page polls /state: in a paced room it follows the question the facilitator pushes;
//   the projector reloads when anything changed.
(function () {
  "use strict";
  var body = document.body;
  var banner = document.getElementById("banner");
  var QUEUE = "maturity-queue";
  var offline = false;

  function queue() {
    try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; }
  }
  function keep(items) {
    try { localStorage.setItem(QUEUE, JSON.stringify(items)); } catch (e) { /* private mode */ }
  }
  function say(text) {
    if (!banner) { return; }
    banner.textContent = text || "";
    banner.hidden = !text;
  }
  function nonce() {
    if (window.crypto && crypto.getRandomValues) {
      var a = new Uint32Array(4);
      crypto.getRandomValues(a);
      return Array.prototype.map.call(a, function (x) { return x.toString(16); }).join("");
    }
    return String(Date.now()) + String(Math.random()).slice(2);
  }
  function post(item) {
    return fetch(item.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json",
                 "Content-Type": "application/x-www-form-urlencoded" },
      body: item.body
    });
  }
  // Send what is kept, oldest first; stop at the first network failure.
  function flush() {
    var items = queue();
    if (!items.length) { return Promise.resolve(true); }
    return post(items[0]).then(function () {
      keep(queue().slice(1));  // answered (saved or refused): never resent
      return flush();
    }, function () { return false; });
  }

  var form = document.querySelector("form.vote");
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new URLSearchParams(new FormData(form));
      var button = event.submitter;
      if (button && button.name) { data.set(button.name, button.value); }
      data.set("nonce", nonce());
      var item = { url: form.action, body: data.toString() };
      post(item).then(function (response) {
        return response.json().then(function (answer) {
          if (answer.ok) { window.location.assign(answer.next); }
          else { say(answer.error); }
        });
      }, function () {
        keep(queue().concat([item]));
        Array.prototype.forEach.call(form.querySelectorAll("button.choice"), function (b) {
          b.classList.toggle("mine", b === button);
        });
        offline = true;
        say(body.dataset.queued || body.dataset.offline);
      });
    });
  }

  var stateUrl = body.dataset.host ? "/host/state" : "/state";
  if (body.dataset.rev === undefined) { return; }
  function poll() {
    fetch(stateUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        return flush().then(function (sent) {
          if (!sent) { throw new Error("offline"); }
          var wasOffline = offline;
          offline = false;
          say("");
          if (!state.ok) { return; }
          if (body.dataset.host) {
            if (String(state.rev) !== body.dataset.rev) { window.location.reload(); }
          } else if (state.paced && state.k !== null && String(state.k) !== body.dataset.k) {
            window.location.assign("/q/" + state.k);
          } else if (!state.paced && body.dataset.k === "0") {
            window.location.assign("/q");
          } else if (wasOffline) {
            window.location.reload();
          }
        });
      })
      .catch(function () {
        offline = true;
        say(queue().length ? body.dataset.queued : body.dataset.offline);
      })
      .then(function () { window.setTimeout(poll, offline ? 1000 : 2000); });
  }
  window.setTimeout(poll, 1000);
  window.addEventListener("online", flush);
})();
