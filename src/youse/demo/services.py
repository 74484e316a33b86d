"""State changes of the demo app: recording that the synthetic data set was loaded (with its audit event)."""

from django.core.cache import cache
from django.db import transaction

from youse.core import audit
from youse.core.models import AuditEvent
from youse.core.modules import SYNTHETIC_CACHE_KEY
from youse.demo.models import DemoDataset


def record_dataset(actor, seed: int, scale: int, counts: dict[str, int]) -> DemoDataset:
    """Label the database's contents as synthetic: from now on every page says so."""
    with transaction.atomic():
        dataset = DemoDataset.objects.create(seed=seed, scale=scale, counts=counts)
        audit.record(actor, AuditEvent.Action.CREATE, dataset, after=audit.snapshot(dataset), reason="示例数据")
    # Pages cache whether synthetic data is present; they must say so from the next request on.
    transaction.on_commit(lambda: cache.delete(SYNTHETIC_CACHE_KEY))
    return dataset
