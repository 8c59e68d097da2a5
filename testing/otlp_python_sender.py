"""Sends N log records through the OpenTelemetry Python SDK's OTLP/HTTP (protobuf) log exporter.

Usage: otlp_python_sender.py ENDPOINT N [TOKEN]
Used by otlp_python_sdk_test.ts; prints "sent N" after the provider flushed and shut down. The queue holds all N
records: the SDK drops records beyond its queue (2048 by default) before they are ever sent.
"""
import logging
import sys

from opentelemetry.exporter.otlp.proto.http import Compression
from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler
from opentelemetry.sdk._logs.export import BatchLogRecordProcessor
from opentelemetry.sdk.resources import Resource

endpoint, count = sys.argv[1], int(sys.argv[2])
headers = {"Authorization": f"Bearer {sys.argv[3]}"} if len(sys.argv) > 3 else None
provider = LoggerProvider(resource=Resource.create({"service.name": "pyshop", "host.name": "py-host-1"}))
exporter = OTLPLogExporter(endpoint=endpoint, headers=headers, compression=Compression.Gzip, timeout=30)
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
provider.force_flush()
provider.shutdown()
print(f"sent {count}")
