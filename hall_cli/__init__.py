"""The `hall` command line: above the shared brain (hall/) and every role package."""
