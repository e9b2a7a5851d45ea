"""Nothing leaves the machine: the switches that keep bundled libraries from calling home, set before they load.

onnxruntime's wheels carry Microsoft's 1DS telemetry, which starts when the module is imported (DNS lookups at
growing intervals, an event with device id, OS, CPU and executable path); only ``ORT_DISABLE_TELEMETRY`` set before
the import stops it (``disable_telemetry_events()`` afterwards is too late). Chroma's and Gradio's analytics are off
the same way. A value the user set explicitly is kept. Worker processes inherit the environment.
"""

from __future__ import annotations

import os

OFFLINE_ENVIRONMENT = {
    "ORT_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "GRADIO_RUN_HISTORY": "False",
}


def stay_offline() -> None:
    """Set every switch that is not set yet (called when ``assistant`` is imported, before any of those libraries)."""
    for name, value in OFFLINE_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
