package world

import (
	"fmt"
	"regexp"
	"strings"
)

var (
	accessKeyPattern   = regexp.MustCompile(`^[A-Z0-9]{16,128}$`)
	profileNamePattern = regexp.MustCompile(`^[\w+=,.@-]{1,128}$`)
)

func (p *problems) credentials(creds []Credential) {
	if len(creds) == 0 {
		p.add("credentials", "the world has no credentials: add at least one access key (accessKeyID, secretAccessKey)")
	}
	keys := seen{}
	for i, c := range creds {
		cp := fmt.Sprintf("credentials[%d]", i)
		if !accessKeyPattern.MatchString(c.AccessKeyID) {
			p.add(cp+".accessKeyID", "access key ID %q is malformed: want 16 to 128 capital letters and digits, e.g. AKIA...", c.AccessKeyID)
		}
		p.dup(keys, c.AccessKeyID, cp+".accessKeyID", "access key ID %q is listed twice", c.AccessKeyID)
		if c.SecretAccessKey == "" {
			p.add(cp+".secretAccessKey", "access key %q has no secretAccessKey", c.AccessKeyID)
		}
	}
}

func (p *problems) keyPairs(pairs []KeyPair, path string, ids seen) {
	names := seen{}
	for i, k := range pairs {
		kp := fmt.Sprintf("%s.keyPairs[%d]", path, i)
		if k.Name == "" {
			p.add(kp+".name", "key pair %d has no name", i+1)
		}
		p.dup(names, k.Name, kp+".name", "key pair %q is listed twice", k.Name)
		if k.ID == "" {
			continue
		}
		if rest, _ := strings.CutPrefix(k.ID, "key-"); len(rest) != 17 || !ValidID("key-", k.ID) {
			p.add(kp+".id", "key pair %q has ID %q: want key- and 17 hex digits", k.Name, k.ID)
		}
		p.dup(ids, k.ID, kp+".id", "key pair ID %q is used twice", k.ID)
	}
}

func (p *problems) profiles(account string, profiles []InstanceProfile, path string) {
	names := seen{}
	for i, ip := range profiles {
		pp := fmt.Sprintf("%s.instanceProfiles[%d]", path, i)
		if !profileNamePattern.MatchString(ip.Name) {
			p.add(pp+".name", "instance profile name %q is malformed: want 1 to 128 letters, digits and +=,.@_-", ip.Name)
		}
		p.dup(names, ip.Name, pp+".name", "instance profile %q is listed twice", ip.Name)
		if ip.ARN == "" {
			continue
		}
		rest, ok := strings.CutPrefix(ip.ARN, "arn:aws:iam::")
		acct, resource, _ := strings.Cut(rest, ":")
		name, hasPrefix := strings.CutPrefix(resource, "instance-profile/")
		if !ok || !hasPrefix || !strings.HasSuffix("/"+name, "/"+ip.Name) {
			p.add(pp+".arn", "instance profile %q has ARN %q: want %s", ip.Name, ip.ARN, ProfileARN(account, ip.Name))
		} else if acct != account {
			p.add(pp+".arn", "instance profile %q has ARN in account %q, but the world's account is %q", ip.Name, acct, account)
		}
	}
}
