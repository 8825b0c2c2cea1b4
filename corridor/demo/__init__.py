"""The demo region: a deterministic, realistic Shanghai–Nanjing corridor to try Corridor with.

``load_demo`` writes it (311 resources, 298 demands, 196 cooperation items, the two seed
consortia and four demo accounts), ``reset_demo`` removes it, ``database_is_empty`` tells the
``setup`` command whether to load it on first start. See loader.py and generator.py.
"""

from corridor.demo.loader import (
    DEMO_PASSWORD,
    DemoError,
    database_is_empty,
    demo_is_loaded,
    load_demo,
    reset_demo,
)

__all__ = ["DEMO_PASSWORD", "DemoError", "database_is_empty", "demo_is_loaded", "load_demo", "reset_demo"]
