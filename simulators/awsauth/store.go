package awsauth

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/rand"
	"strings"
	"sync"
	"time"

	"k8s.io/utils/clock"

	"github.com/machine-conformance/machine-conformance/simulators/world"
)

// Principal is who signed a request, as GetCallerIdentity reports it.
type Principal struct {
	Account string
	// ARN is arn:aws:iam::<account>:user/<name> for long-term keys and
	// arn:aws:sts::<account>:assumed-role/<role>/<session> for issued ones.
	ARN string
	// UserID is AIDA... for users and AROA...:<session> for roles.
	UserID string
}

// Credentials are temporary credentials the store issued.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Expiration      time.Time
	Principal       Principal
}

type key struct {
	secret    string
	token     string    // empty for long-term keys
	expires   time.Time // zero for long-term keys
	principal Principal
}

// Options configure a Store. The zero value knows the default world's key.
type Options struct {
	// World supplies the account and its long-term keys; nil means world.Default().
	World *world.World
	// Clock judges expiry; nil means the real clock.
	Clock clock.PassiveClock
	// Seed makes issued keys replayable.
	Seed int64
}

// Store holds an account's credentials. Safe for concurrent use.
type Store struct {
	account string
	clock   clock.PassiveClock

	mu   sync.Mutex
	rng  *rand.Rand
	keys map[string]key
}

// NewStore returns a store with the world's long-term keys.
func NewStore(opts Options) *Store {
	w := world.Default()
	if opts.World != nil {
		w = opts.World.WithDefaults()
	}
	s := &Store{account: w.AccountID, clock: opts.Clock, rng: rand.New(rand.NewSource(opts.Seed)), keys: map[string]key{}}
	if s.clock == nil {
		s.clock = clock.RealClock{}
	}
	for _, c := range w.Credentials {
		s.AddKey(c.AccessKeyID, c.SecretAccessKey, c.User)
	}
	return s
}

// Account is the account the store's keys belong to.
func (s *Store) Account() string { return s.account }

// AddKey adds or replaces a long-term access key of IAM user name.
func (s *Store) AddKey(accessKeyID, secret, user string) {
	if user == "" {
		user = world.DefaultUser
	}
	p := Principal{Account: s.account, ARN: "arn:aws:iam::" + s.account + ":user/" + user, UserID: "AIDA" + upperDigest(accessKeyID, 17)}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[accessKeyID] = key{secret: secret, principal: p}
}

// Issue creates temporary credentials for a session of role (an IAM role
// ARN, already validated by the caller) valid for d from now.
func (s *Store) Issue(roleARN, session string, d time.Duration) Credentials {
	account, roleName := splitRoleARN(roleARN)
	s.mu.Lock()
	defer s.mu.Unlock()
	c := Credentials{
		AccessKeyID:     "ASIA" + s.randomLocked("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
		SecretAccessKey: s.randomLocked("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40),
		Expiration:      s.clock.Now().Add(d).UTC().Truncate(time.Second),
		Principal: Principal{Account: account, ARN: "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + session,
			UserID: "AROA" + upperDigest(roleARN, 17) + ":" + session},
	}
	raw := make([]byte, 96)
	for i := range raw {
		raw[i] = byte(s.rng.Intn(256))
	}
	c.SessionToken = "FwoGZXIvYXdzE" + base64.StdEncoding.EncodeToString(raw)
	s.keys[c.AccessKeyID] = key{secret: c.SecretAccessKey, token: c.SessionToken, expires: c.Expiration, principal: c.Principal}
	return c
}

func (s *Store) randomLocked(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[s.rng.Intn(len(alphabet))]
	}
	return string(b)
}

// lookup finds the secret and principal of accessKeyID presented with
// session token; it fails with an *Error of the reason.
func (s *Store) lookup(accessKeyID, token string) (key, error) {
	s.mu.Lock()
	k, ok := s.keys[accessKeyID]
	s.mu.Unlock()
	switch {
	case !ok:
		return key{}, &Error{Reason: UnknownKey, AccessKeyID: accessKeyID}
	case k.token != "" && token != k.token:
		return key{}, &Error{Reason: BadToken, AccessKeyID: accessKeyID}
	case k.token == "" && token != "":
		return key{}, &Error{Reason: BadToken, AccessKeyID: accessKeyID}
	case !k.expires.IsZero() && !s.clock.Now().Before(k.expires):
		return key{}, &Error{Reason: Expired, AccessKeyID: accessKeyID, Detail: "expired at " + k.expires.Format(time.RFC3339)}
	}
	return k, nil
}

// splitRoleARN returns the account and role name of
// arn:aws:iam::<account>:role/<path/><name>.
func splitRoleARN(arn string) (account, role string) {
	rest := strings.TrimPrefix(arn, "arn:aws:iam::")
	account, resource, _ := strings.Cut(rest, ":")
	resource = strings.TrimPrefix(resource, "role/")
	return account, resource[strings.LastIndex(resource, "/")+1:]
}

// ValidRoleARN checks the shape arn:aws:iam::<12 digits>:role/<name>.
func ValidRoleARN(arn string) error {
	rest, ok := strings.CutPrefix(arn, "arn:aws:iam::")
	account, resource, _ := strings.Cut(rest, ":")
	name, isRole := strings.CutPrefix(resource, "role/")
	if !ok || len(account) != 12 || strings.Trim(account, "0123456789") != "" || !isRole || name == "" || strings.HasSuffix(name, "/") {
		return fmt.Errorf("%q is not a role ARN such as arn:aws:iam::123456789012:role/nodes", arn)
	}
	return nil
}

func upperDigest(s string, n int) string {
	sum := sha256.Sum256([]byte(s))
	return strings.ToUpper(hex.EncodeToString(sum[:]))[:n]
}
