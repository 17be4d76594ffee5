"""Web adapter: the local page of ``drafter serve`` and its JSON API, thin over drafter.api.

Imported only by ``drafter.cli.serve`` (lazily), so ``drafter --help`` never loads the web framework.
"""

from drafter.web.app import create_app

__all__ = ["create_app"]
