"""Pages of the capacity module for signed-in users: the ledger, schemes, dismantling and violations.

Every read goes through core.scopes (visible / get_visible_or_404) and every change through
capacity/services.py; these views translate between HTTP and those two and nothing more."""
