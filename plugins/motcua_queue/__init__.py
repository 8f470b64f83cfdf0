"""motcua_queue: the queue and satisfaction plugin ("queue").

Number tickets at a kiosk, counters calling them, a hall display board, satisfaction
ratings and the figures of waits and service, built on the public plugin API only
(docs/queue.md; docs/plugins/queue-example.md walks through how it is built).
"""

from __future__ import annotations

__version__ = "0.1.0"
