module gopostfix

go 1.26
