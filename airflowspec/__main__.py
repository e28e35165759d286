from airflowspec.cli import main

main()
