package awsauth

// Reason says why a request's credentials were refused; each simulator
// answers with its own service's code for it.
type Reason int

const (
	// Unsigned: no valid SigV4 Authorization header.
	Unsigned Reason = iota + 1
	// UnknownKey: the access key ID is not the account's.
	UnknownKey
	// BadToken: a temporary key without its session token, or a long-term key with one.
	BadToken
	// Expired: a temporary key past its expiry.
	Expired
	// BadSignature: the signature does not match (wrong secret key).
	BadSignature
	// BadScope: the credential scope names another service, or a region the caller does not serve.
	BadScope
)

// Error is a refused request.
type Error struct {
	Reason      Reason
	AccessKeyID string
	Detail      string
}

var reasonText = map[Reason]string{
	Unsigned: "no valid SigV4 Authorization header", UnknownKey: "unknown access key",
	BadToken: "session token does not match the access key", Expired: "credentials expired",
	BadSignature: "signature mismatch: wrong secret key?", BadScope: "credential scope not served here",
}

func (e *Error) Error() string {
	s := reasonText[e.Reason]
	if e.AccessKeyID != "" {
		s += " (" + e.AccessKeyID + ")"
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}
