from lstm_tui.cli import main

raise SystemExit(main())
