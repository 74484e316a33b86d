"""Pages of the enforcement module for signed-in users.

Every read goes through core.scopes (visible / get_visible_or_404) and every change through
enforcement/services; these views translate between HTTP and those two and nothing more."""
