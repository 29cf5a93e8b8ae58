package openstack

import "net/http"

// versionDoc is one entry of a service's version discovery document.
func versionDoc(id, status, href, minVersion, maxVersion string) map[string]any {
	doc := map[string]any{"id": id, "status": status, "updated": "2013-07-23T11:33:21Z",
		"links": []link{{Rel: "self", Href: href}}}
	if maxVersion != "" {
		doc["version"], doc["min_version"] = maxVersion, minVersion
	} else {
		doc["version"], doc["min_version"] = "", ""
	}
	return doc
}

// Version discovery, which gophercloud consults for endpoints whose URL
// carries no version (Neutron's, Glance's) and for microversions (Nova's).
func computeVersions(s *Server, c *call) (reply, error) {
	b := s.baseURL(c.r)
	return reply{status: http.StatusMultipleChoices, body: map[string]any{"versions": []any{
		versionDoc("v2.1", "CURRENT", b+computePath+"/", minMicroversion, maxMicroversion)}}}, nil
}

func computeVersion(s *Server, c *call) (reply, error) {
	return reply{status: http.StatusOK, body: map[string]any{"version": versionDoc("v2.1", "CURRENT",
		s.baseURL(c.r)+computePath+"/", minMicroversion, maxMicroversion)}}, nil
}

func networkVersions(s *Server, c *call) (reply, error) {
	return reply{status: http.StatusOK, body: map[string]any{"versions": []any{
		versionDoc("v2.0", "CURRENT", s.baseURL(c.r)+networkPath+"/v2.0/", "", "")}}}, nil
}

func imageVersions(s *Server, c *call) (reply, error) {
	return reply{status: http.StatusMultipleChoices, body: map[string]any{"versions": []any{
		versionDoc("v2.16", "CURRENT", s.baseURL(c.r)+imagePath+"/v2/", "", "")}}}, nil
}

func volumeVersions(s *Server, c *call) (reply, error) {
	return reply{status: http.StatusMultipleChoices, body: map[string]any{"versions": []any{
		versionDoc("v3.0", "CURRENT", s.baseURL(c.r)+volumePath+"/", "3.0", "3.70")}}}, nil
}
