package altaws

import "strings"

// problems collects what is wrong with a request, each naming its field
// path first ("providerSpec.imageId: required"), so a user sees every
// problem at once.
type problems []string

func (p *problems) add(path, msg string) { *p = append(*p, path+": "+msg) }

func (p problems) String() string { return strings.Join(p, "; ") }
