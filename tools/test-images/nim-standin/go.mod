module odh-nim/tools/test-images/nim-standin

go 1.26.0
