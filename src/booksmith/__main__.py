from booksmith.cli import main

raise SystemExit(main())
