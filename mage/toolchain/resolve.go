package toolchain

import "context"

// Resolve returns specs with every Newest spec ("1.27") replaced by the
// exact release it names now, as Install would resolve it (the release
// list, cached for a day; offline, the newest installed), without
// installing anything. Exact, Local and Label specs are returned as given.
//
// It exists so that a caller can name what Install is about to put under
// SDK before it runs, e.g. in a cache key: "1.27" alone would keep a cache
// of go1.27.3 after go1.27.4 is out, and download the new patch on every
// run without ever saving it.
func (in *Installer) Resolve(ctx context.Context, specs []Spec) ([]Spec, error) {
	out := make([]Spec, 0, len(specs))
	for _, s := range specs {
		if s.Kind == Newest {
			v, err := in.resolveNewest(ctx, s)
			if err != nil {
				return nil, err
			}
			s = Spec{Kind: Exact, Version: v}
		}
		out = append(out, s)
	}
	return out, nil
}
