"""Sends N log records through the OpenTelemetry Python SDK's OTLP/HTTP (protobuf) log exporter.

Usage: otlp_python_sender.py ENDPOINT N [TOKEN]
Environment (optional): OTLP_TIMEOUT_S — the exporter's timeout, which bounds its retries of one batch (default 30);
OTLP_RECORD_INTERVAL_S — a pause after each record, so the sending spans a chosen time (default 0).
Used by tests/ingest (otlp_python_sdk_test.ts, retry_hot_tier_test.ts) and the ingest outage scenario
(bench/chaos/ingest_kafka_outage.ts); prints "sent N" after the provider flushed and shut down. Records are
"order <i> failed" (every tenth, level ERROR) or "order <i> placed". The queue holds all N records: the SDK drops
records beyond its queue (2048 by default) before they are ever sent.
"""
import logging
import os
import sys
import time

from opentelemetry.exporter.otlp.proto.http import Compression
from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler
from opentelemetry.sdk._logs.export import BatchLogRecordProcessor
from opentelemetry.sdk.resources import Resource

endpoint, count = sys.argv[1], int(sys.argv[2])
headers = {"Authorization": f"Bearer {sys.argv[3]}"} if len(sys.argv) > 3 else None
timeout = float(os.environ.get("OTLP_TIMEOUT_S", "30"))
interval = float(os.environ.get("OTLP_RECORD_INTERVAL_S", "0"))
provider = LoggerProvider(resource=Resource.create({"service.name": "pyshop", "host.name": "py-host-1"}))
exporter = OTLPLogExporter(endpoint=endpoint, headers=headers, compression=Compression.Gzip, timeout=timeout)
provider.add_log_record_processor(BatchLogRecordProcessor(exporter, max_queue_size=max(count, 256), max_export_batch_size=256))
handler = LoggingHandler(level=logging.DEBUG, logger_provider=provider)
log = logging.getLogger("pyshop.orders")
log.setLevel(logging.DEBUG)
log.addHandler(handler)
log.propagate = False
for i in range(count):
    if i % 10 == 0:
        log.error("order %d failed", i, extra={"order.id": i})
    else:
        log.info("order %d placed", i, extra={"order.id": i})
    if interval > 0:
        time.sleep(interval)
provider.force_flush()
provider.shutdown()
print(f"sent {count}")
