// Package sts is an STS front-end beside the EC2 simulator: enough of the
// AWS Security Token Service for aws-sdk-go-v2/service/sts, and the
// credential providers built on it, to run unchanged with only the
// endpoint overridden (AWS_ENDPOINT_URL_STS or BaseEndpoint).
//
// Implemented actions: AssumeRoleWithWebIdentity (unsigned, as on AWS:
// the web identity token is the credential) and GetCallerIdentity (signed).
// Any other action fails loudly with InvalidAction naming it.
//
// The temporary credentials AssumeRoleWithWebIdentity returns are issued
// by an awsauth.Store; give the same store to the EC2 simulator and it
// accepts them until they expire on the store's clock. Tokens are checked
// for presence only, unless Options.VerifyToken judges them; when a token
// is a JWT its sub, iss and aud claims are echoed back, unverified.
//
// Every action goes through the core's request pipeline (core.Do)
// with attributes "Service" ("sts") and "Action", and is logged.
package sts
