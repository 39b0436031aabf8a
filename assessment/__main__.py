"""``python -m assessment`` runs the ``maturity`` command line."""

from assessment.cli import main

if __name__ == "__main__":  # pragma: no cover - exercised through subprocess tests
    main()
