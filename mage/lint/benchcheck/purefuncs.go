package benchcheck

// pureFuncs lists standard library functions, by types.Func.FullName,
// that have no side effect: calling one only to discard its results is
// work the compiler may delete. A function belongs here only if it
// writes no memory reachable by its caller (so no Append* function, which
// writes into the destination's spare capacity), calls no method of its
// arguments (so not fmt), and does no I/O. Panicking on invalid input, as
// strings.Repeat does on a negative count, is allowed: the benchmark's
// result would still be discarded.
var pureFuncs = setOf(
	// bytes
	"bytes.Clone", "bytes.Compare", "bytes.Contains", "bytes.ContainsAny",
	"bytes.ContainsRune", "bytes.Count", "bytes.Equal", "bytes.EqualFold",
	"bytes.Fields", "bytes.HasPrefix", "bytes.HasSuffix", "bytes.Index",
	"bytes.IndexAny", "bytes.IndexByte", "bytes.IndexRune", "bytes.Join",
	"bytes.LastIndex", "bytes.LastIndexByte", "bytes.Repeat", "bytes.Replace",
	"bytes.ReplaceAll", "bytes.Split", "bytes.SplitN", "bytes.ToLower",
	"bytes.ToUpper", "bytes.Trim", "bytes.TrimLeft", "bytes.TrimPrefix",
	"bytes.TrimRight", "bytes.TrimSpace", "bytes.TrimSuffix",
	// strings
	"strings.Clone", "strings.Compare", "strings.Contains", "strings.ContainsAny",
	"strings.ContainsRune", "strings.Count", "strings.Cut", "strings.EqualFold",
	"strings.Fields", "strings.HasPrefix", "strings.HasSuffix", "strings.Index",
	"strings.IndexAny", "strings.IndexByte", "strings.IndexRune", "strings.Join",
	"strings.LastIndex", "strings.LastIndexByte", "strings.Repeat",
	"strings.Replace", "strings.ReplaceAll", "strings.Split", "strings.SplitN",
	"strings.ToLower", "strings.ToTitle", "strings.ToUpper", "strings.Trim",
	"strings.TrimLeft", "strings.TrimPrefix", "strings.TrimRight",
	"strings.TrimSpace", "strings.TrimSuffix",
	// strconv
	"strconv.Atoi", "strconv.FormatBool", "strconv.FormatFloat",
	"strconv.FormatInt", "strconv.FormatUint", "strconv.Itoa",
	"strconv.ParseBool", "strconv.ParseFloat", "strconv.ParseInt",
	"strconv.ParseUint", "strconv.Quote", "strconv.QuoteToASCII",
	"strconv.Unquote",
	// math and math/bits
	"math.Abs", "math.Acos", "math.Asin", "math.Atan", "math.Atan2", "math.Cbrt",
	"math.Ceil", "math.Copysign", "math.Cos", "math.Exp", "math.Exp2",
	"math.Float32bits", "math.Float32frombits", "math.Float64bits",
	"math.Float64frombits", "math.Floor", "math.FMA", "math.Hypot", "math.Inf",
	"math.IsInf", "math.IsNaN", "math.Log", "math.Log10", "math.Log1p",
	"math.Log2", "math.Max", "math.Min", "math.Mod", "math.NaN", "math.Pow",
	"math.Round", "math.RoundToEven", "math.Signbit", "math.Sin", "math.Sqrt",
	"math.Tan", "math.Tanh", "math.Trunc",
	"math/bits.LeadingZeros", "math/bits.LeadingZeros32", "math/bits.LeadingZeros64",
	"math/bits.Len", "math/bits.Len32", "math/bits.Len64", "math/bits.OnesCount",
	"math/bits.OnesCount32", "math/bits.OnesCount64", "math/bits.Reverse",
	"math/bits.Reverse32", "math/bits.Reverse64", "math/bits.ReverseBytes32",
	"math/bits.ReverseBytes64", "math/bits.RotateLeft", "math/bits.RotateLeft32",
	"math/bits.RotateLeft64", "math/bits.TrailingZeros",
	"math/bits.TrailingZeros32", "math/bits.TrailingZeros64",
	// unicode and unicode/utf8
	"unicode.IsDigit", "unicode.IsLetter", "unicode.IsLower", "unicode.IsSpace",
	"unicode.IsUpper", "unicode.ToLower", "unicode.ToUpper",
	"unicode/utf8.DecodeRune", "unicode/utf8.DecodeRuneInString",
	"unicode/utf8.RuneCount", "unicode/utf8.RuneCountInString",
	"unicode/utf8.RuneLen", "unicode/utf8.Valid", "unicode/utf8.ValidString",
	// hashing and encoding
	"crypto/md5.Sum", "crypto/sha1.Sum", "crypto/sha256.Sum224",
	"crypto/sha256.Sum256", "crypto/sha512.Sum512", "hash/adler32.Checksum",
	"hash/crc32.Checksum", "hash/crc32.ChecksumIEEE", "hash/crc32.Update",
	"hash/crc64.Checksum", "encoding/hex.EncodeToString",
	"(*encoding/base64.Encoding).EncodeToString",
	"(*encoding/base64.Encoding).EncodedLen",
	// slices, sort, errors
	"slices.Clone", "slices.Compare", "slices.Contains", "slices.Equal",
	"slices.Index", "slices.Max", "slices.Min", "slices.BinarySearch",
	"sort.SearchInts", "sort.SearchStrings", "errors.New",
)

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}
