module odh-nim/tools/test-images/pause

go 1.26.0
