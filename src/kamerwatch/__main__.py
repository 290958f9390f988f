from kamerwatch.cli import main

main()
