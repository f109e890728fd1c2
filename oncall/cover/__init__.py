"""The 主治医・副主治医 cover plan: its scenario part, its document section and its independent check."""
