"""Every change of the support app: one function per step, each checking the actor's capability and
scope, changing the rows in one transaction and writing its audit event in that transaction."""

from youse.support.services.funds import (
    accept,
    approve,
    close_call,
    create_application,
    create_call,
    disburse,
    open_call,
    recommend,
    record_repayment,
    reject,
    return_application,
    submit,
    update_application,
)
from youse.support.services.reserves import create_holding, record_movement, set_plan

__all__ = [
    "accept",
    "approve",
    "close_call",
    "create_application",
    "create_call",
    "create_holding",
    "disburse",
    "open_call",
    "recommend",
    "record_movement",
    "record_repayment",
    "reject",
    "return_application",
    "set_plan",
    "submit",
    "update_application",
]
