"""`python -m app` runs the same command line as `carebinder`."""

import sys

from app.cli.main import main

sys.exit(main())
