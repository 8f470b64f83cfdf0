"""Portal connectors: the transactional outbox, its delivery worker and the online inbox.

* :mod:`~motcua.connectors.outbox` writes an :class:`~motcua.connectors.models.OutboxMessage`
  for each enabled connector inside the transaction of every record change (an
  :class:`~motcua.events.EventSink` subscriber, registered by :func:`motcua.ward.ward_context`).
* :mod:`~motcua.connectors.delivery` is the worker: it claims due messages with a lease,
  sends them through the connector (outside any transaction), and settles each one:
  delivered, retried later with exponential backoff and jitter, or dead after the last try.
* :mod:`~motcua.connectors.settings` keeps each connector's settings per province and ward.
* :mod:`~motcua.connectors.inbox` takes online dossiers in (pull or signed webhook) and
  lets staff accept or refuse them.

docs/connectors.md is the admin's and plugin author's guide.
"""
