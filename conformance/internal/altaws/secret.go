package altaws

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
)

// Keys of the MachineClass secret.
const (
	SecretAccessKeyID     = "accessKeyID"
	SecretSecretAccessKey = "secretAccessKey"
	SecretUserData        = "userData"
)

// maxUserData is EC2's limit on user data before base64 encoding.
const maxUserData = 16 * 1024

// credentials is what the driver takes from the secret.
type credentials struct {
	accessKeyID     string
	secretAccessKey string
	userData        []byte
}

// readSecret checks the secret. Its messages name keys, never values.
func readSecret(secret *corev1.Secret) (credentials, problems) {
	var p problems
	if secret == nil {
		p.add("secret", "required: the request carries no Secret")
		return credentials{}, p
	}
	for _, key := range []string{SecretAccessKeyID, SecretSecretAccessKey, SecretUserData} {
		if len(secret.Data[key]) == 0 {
			p.add("secret."+key, "required")
		}
	}
	if n := len(secret.Data[SecretUserData]); n > maxUserData {
		p.add("secret."+SecretUserData, fmt.Sprintf("%d bytes, EC2 accepts at most %d", n, maxUserData))
	}
	return credentials{
		accessKeyID:     string(secret.Data[SecretAccessKeyID]),
		secretAccessKey: string(secret.Data[SecretSecretAccessKey]),
		userData:        secret.Data[SecretUserData],
	}, p
}
