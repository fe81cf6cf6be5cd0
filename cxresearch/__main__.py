from cxresearch.cli import main

raise SystemExit(main())
