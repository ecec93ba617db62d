package tenant

import (
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/zones"
)

// Version is the file format version this package reads and writes.
const Version = 1

// File is the tenant file's JSON shape. Times are RFC 3339 strings, parsed
// and checked by [Parse] so that each bad one is reported with its path.
type File struct {
	Version                int                   `json:"version"`
	Tenant                 string                `json:"tenant"`
	TimeZone               string                `json:"timeZone"`
	IdealBookingPercentage int                   `json:"idealBookingPercentage,omitempty"`
	BusinessHours          hours.BusinessHours   `json:"businessHours"`
	Exceptions             []hours.Exception     `json:"exceptions"`
	ArrivalWindows         []hours.ArrivalWindow `json:"arrivalWindows"`
	BusinessUnits          []BusinessUnit        `json:"businessUnits"`
	JobTypes               []JobType             `json:"jobTypes"`
	Zones                  []zones.Zone          `json:"zones"`
	Technicians            []Technician          `json:"technicians"`
	Shifts                 []Shift               `json:"shifts"`
	Appointments           []Appointment         `json:"appointments"`
	Assignments            []Assignment          `json:"assignments"`
	GPSPings               []Ping                `json:"gpsPings"`
}

// BusinessUnit is a business unit record.
type BusinessUnit struct {
	ID                     int64  `json:"id"`
	Name                   string `json:"name"`
	IdealBookingPercentage int    `json:"idealBookingPercentage,omitempty"`
}

// JobType is a job type record; durationMinutes is required and positive.
type JobType struct {
	ID              int64    `json:"id"`
	Name            string   `json:"name"`
	DurationMinutes int      `json:"durationMinutes"`
	Skills          []string `json:"skills"`
	BusinessUnitIDs []int64  `json:"businessUnitIds"`
}

// Point is a position in decimal degrees.
type Point struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

// Technician is a technician record. Active defaults to true.
type Technician struct {
	ID             int64    `json:"id"`
	Name           string   `json:"name"`
	BusinessUnitID int64    `json:"businessUnitId"`
	Skills         []string `json:"skills"`
	ZoneIDs        []int64  `json:"zoneIds"`
	Active         *bool    `json:"active,omitempty"`
	Home           *Point   `json:"home,omitempty"`
}

// Shift is a shift record. Active defaults to true.
type Shift struct {
	ID           int64  `json:"id"`
	TechnicianID int64  `json:"technicianId"`
	ShiftType    string `json:"shiftType"`
	Title        string `json:"title"`
	Note         string `json:"note"`
	Start        string `json:"start"`
	End          string `json:"end"`
	Active       *bool  `json:"active,omitempty"`
	ModifiedOn   string `json:"modifiedOn,omitempty"`
}

// Appointment is an appointment record. Canceled (optional, default
// false) marks an appointment called off: it stays as history and
// consumes nothing, and its assignment records must all be Unassigned
// (see [capacity.Appointment]).
type Appointment struct {
	ID                 int64  `json:"id"`
	JobID              int64  `json:"jobId"`
	JobTypeID          int64  `json:"jobTypeId"`
	BusinessUnitID     int64  `json:"businessUnitId"`
	Start              string `json:"start"`
	End                string `json:"end"`
	ArrivalWindowStart string `json:"arrivalWindowStart"`
	ArrivalWindowEnd   string `json:"arrivalWindowEnd"`
	Zip                string `json:"zip,omitempty"`
	Canceled           bool   `json:"canceled,omitempty"`
}

// Actor is who made a change.
type Actor struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Assignment is an assignment record; status is Assigned or Unassigned.
type Assignment struct {
	ID               int64  `json:"id"`
	JobAppointmentID int64  `json:"jobAppointmentId"`
	TechnicianID     int64  `json:"technicianId"`
	AssignedBy       *Actor `json:"assignedBy,omitempty"`
	AssignedOn       string `json:"assignedOn"`
	UnassignedOn     string `json:"unassignedOn,omitempty"`
	Status           string `json:"status"`
	ModifiedOn       string `json:"modifiedOn,omitempty"`
}

// Ping is a GPS ping record.
type Ping struct {
	TechnicianID int64   `json:"technicianId"`
	Latitude     float64 `json:"latitude"`
	Longitude    float64 `json:"longitude"`
	Speed        float64 `json:"speed"`
	Heading      float64 `json:"heading"`
	UTCDateTime  string  `json:"utcDateTime"`
}
