from kamerwatch.entry import main

main()
