// Package awsauth is the identity side the AWS simulators share: one
// account's long-term access keys, the temporary credentials its STS
// simulator issues, and verification of SigV4-signed requests against
// both. The EC2 and STS simulators take the same *Store, so a credential
// that AssumeRoleWithWebIdentity hands out is one EC2 then accepts, until
// it expires on the store's clock.
//
// Verification recomputes the signature with the SDK's own signer over the
// headers the client signed and compares; it checks the key, the session
// token of temporary keys and their expiry. It does not check clock skew
// (the simulators run on injected clocks) or IAM policies: every valid
// identity may do everything.
package awsauth
