from tests.portal.portal_fixtures import world  # noqa: F401  (published and unpublished rows of every kind)
