package openstack

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Images are served twice: by Glance (GET /image/v2/images, which
// gophercloud/v2's image/v2/images.List uses to find an image by name) and
// by Nova's deprecated image proxy (GET /compute/v2.1/images), which
// drivers built on gophercloud v1 use.

var imageEpoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// glanceFilters are the list parameters the simulator honours.
var glanceFilters = map[string]bool{"name": true, "id": true, "status": true, "visibility": true, "limit": true, "marker": true, "os_hidden": true}

// pickImages applies name, id and status filters and limit/marker paging
// to Options.Images, in their order; it reports whether more follow.
func (s *Server) pickImages(q url.Values, status string) ([]Image, bool, error) {
	limit, err := pageLimit(q)
	if err != nil {
		return nil, false, err
	}
	images := s.opts.Images
	if m := q.Get("marker"); m != "" {
		i := 0
		for i < len(images) && images[i].ID != m {
			i++
		}
		if i == len(images) {
			return nil, false, badRequest("marker [%s] not found", m)
		}
		images = images[i+1:]
	}
	var out []Image
	for _, img := range images {
		if (q.Get("name") == "" || q.Get("name") == img.Name) && (q.Get("id") == "" || q.Get("id") == img.ID) &&
			(q.Get("status") == "" || strings.EqualFold(q.Get("status"), status)) {
			if len(out) == limit {
				return out, true, nil
			}
			out = append(out, img)
		}
	}
	return out, false, nil
}

func (s *Server) glanceImage(img Image) map[string]any {
	return map[string]any{"id": img.ID, "name": img.Name, "status": "active", "visibility": "public",
		"protected": false, "os_hidden": false, "tags": []string{}, "container_format": "bare", "disk_format": "qcow2",
		"min_disk": img.MinDisk, "min_ram": img.MinRAM, "size": 1 << 30, "virtual_size": 1 << 30,
		"checksum": "0123456789abcdef0123456789abcdef", "owner": s.opts.Project.ID,
		"created_at": stamp(imageEpoch, isoSeconds), "updated_at": stamp(imageEpoch, isoSeconds),
		"self": "/v2/images/" + img.ID, "file": "/v2/images/" + img.ID + "/file", "schema": "/v2/schemas/image"}
}

// listGlanceImages answers GET /image/v2/images with a "next" link when
// more images follow.
func listGlanceImages(s *Server, c *call) (reply, error) {
	q := c.r.URL.Query()
	for k := range q {
		if !glanceFilters[k] {
			return reply{}, errorf(http.StatusNotImplemented, "NotImplemented", "the OpenStack simulator does not implement the image list parameter %q", k)
		}
	}
	images, more, err := s.pickImages(q, "active")
	if err != nil {
		return reply{}, err
	}
	items := make([]any, 0, len(images))
	for _, img := range images {
		items = append(items, s.glanceImage(img))
	}
	body := map[string]any{"images": items, "first": "/v2/images", "schema": "/v2/schemas/images"}
	if more {
		limit, _ := pageLimit(q)
		body["next"] = nextPage("/v2/images", q, limit, images[len(images)-1].ID)
	}
	return reply{status: http.StatusOK, body: body}, nil
}

func getGlanceImage(s *Server, c *call) (reply, error) {
	img, ok := s.image(c.r.PathValue("id"))
	if !ok {
		return reply{}, errorf(http.StatusNotFound, "ImageNotFound", "No image found with ID %s", c.r.PathValue("id"))
	}
	return reply{status: http.StatusOK, body: s.glanceImage(img)}, nil
}

func computeImage(base string, img Image, detail bool) map[string]any {
	out := map[string]any{"id": img.ID, "name": img.Name, "links": []link{
		{Rel: "self", Href: base + computePath + "/images/" + img.ID}, {Rel: "bookmark", Href: base + "/compute/images/" + img.ID}}}
	if detail {
		out["status"], out["progress"], out["minDisk"], out["minRam"] = "ACTIVE", 100, img.MinDisk, img.MinRAM
		out["metadata"], out["OS-EXT-IMG-SIZE:size"] = map[string]string{}, 1<<30
		out["created"], out["updated"] = stamp(imageEpoch, isoSeconds), stamp(imageEpoch, isoSeconds)
	}
	return out
}

// listComputeImages answers Nova's GET /images and /images/detail.
func listComputeImages(s *Server, c *call) (reply, error) {
	q := c.r.URL.Query()
	images, more, err := s.pickImages(q, "ACTIVE")
	if err != nil {
		return reply{}, err
	}
	base, detail := s.baseURL(c.r), strings.HasSuffix(c.r.URL.Path, "/detail")
	items := make([]any, 0, len(images))
	for _, img := range images {
		items = append(items, computeImage(base, img, detail))
	}
	body := map[string]any{"images": items}
	if more {
		limit, _ := pageLimit(q)
		body["images_links"] = []link{{Rel: "next", Href: nextPage(base+c.r.URL.Path, q, limit, images[len(images)-1].ID)}}
	}
	return reply{status: http.StatusOK, body: body}, nil
}

func getComputeImage(s *Server, c *call) (reply, error) {
	img, ok := s.image(c.r.PathValue("id"))
	if !ok {
		return reply{}, errorf(http.StatusNotFound, "ImageNotFound", "Image not found.")
	}
	return reply{status: http.StatusOK, body: map[string]any{"image": computeImage(s.baseURL(c.r), img, true)}}, nil
}
