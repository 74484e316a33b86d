"""Models of the support app: support fund calls and project applications (三(四)) in `funds`, reserve
plans, holdings and their movement ledgers (三(六)) in `reserves`."""

from youse.support.models.funds import Application, CallBudget, Disbursement, FundCall, Outcome
from youse.support.models.reserves import Holding, Movement, ReservePlan

__all__ = ["Application", "CallBudget", "Disbursement", "FundCall", "Holding", "Movement", "Outcome", "ReservePlan"]
