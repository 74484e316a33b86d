"""The credit API: the list of backbone enterprises eligible for credit support (三(五))."""

from ninja import Router

router = Router(tags=["credit"])
