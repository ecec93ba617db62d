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
	Version                int    `json:"version"`
	Tenant                 string `json:"tenant"`
	TimeZone               string `json:"timeZone"`
	IdealBookingPercentage int    `json:"idealBookingPercentage,omitempty"`
	// TravelBufferMinutes is the tenant's travel buffer, 0–1440 minutes,
	// added to a requested job's duration (DESIGN §4a item 9); 0 (the
	// default) is written as absent.
	TravelBufferMinutes int                   `json:"travelBufferMinutes,omitempty"`
	BusinessHours       hours.BusinessHours   `json:"businessHours"`
	Exceptions          []hours.Exception     `json:"exceptions"`
	ArrivalWindows      []hours.ArrivalWindow `json:"arrivalWindows"`
	BusinessUnits       []BusinessUnit        `json:"businessUnits"`
	// The capacity controls of DESIGN §4a, all optional: a tenant that
	// uses none is saved without these three members.
	BusinessUnitGroups  []BusinessUnitGroup `json:"businessUnitGroups,omitempty"`
	JobTypes            []JobType           `json:"jobTypes"`
	CapacityRules       []Rule              `json:"capacityRules,omitempty"`
	CapacityAdjustments []Adjustment        `json:"capacityAdjustments,omitempty"`
	Zones               []zones.Zone        `json:"zones"`
	Technicians         []Technician        `json:"technicians"`
	Shifts              []Shift             `json:"shifts"`
	Appointments        []Appointment       `json:"appointments"`
	Assignments         []Assignment        `json:"assignments"`
	GPSPings            []Ping              `json:"gpsPings"`
}

// BusinessUnit is a business unit record. ReservePercentage, 0–90, is the
// share of its technicians' capacity held back for priority work (DESIGN
// §4a item 11); 0 is written as absent.
type BusinessUnit struct {
	ID                     int64  `json:"id"`
	Name                   string `json:"name"`
	IdealBookingPercentage int    `json:"idealBookingPercentage,omitempty"`
	ReservePercentage      int    `json:"reservePercentage,omitempty"`
}

// BusinessUnitGroup is a group of business units sharing one technician
// pool (DESIGN §4a item 8). Its percentages, when set, replace its units'
// own; a reservePercentage of 0 is kept apart from an absent one (a group
// that sets 0 holds nothing back).
type BusinessUnitGroup struct {
	ID                     int64   `json:"id"`
	Name                   string  `json:"name"`
	BusinessUnitIDs        []int64 `json:"businessUnitIds"`
	IdealBookingPercentage int     `json:"idealBookingPercentage,omitempty"`
	ReservePercentage      *int    `json:"reservePercentage,omitempty"`
}

// JobType is a job type record; durationMinutes is required and positive.
// Priority marks emergency work, which may take the capacity reserves hold
// back. TravelBufferMinutes, when present (0 included), replaces the
// tenant's travel buffer for this job type; absent, the tenant's applies.
type JobType struct {
	ID                  int64    `json:"id"`
	Name                string   `json:"name"`
	DurationMinutes     int      `json:"durationMinutes"`
	Skills              []string `json:"skills"`
	BusinessUnitIDs     []int64  `json:"businessUnitIds"`
	Priority            bool     `json:"priority,omitempty"`
	TravelBufferMinutes *int     `json:"travelBufferMinutes,omitempty"`
}

// Adjustment is a capacity adjustment record (DESIGN §4a item 10): signed
// minutes added to the window from–to ("HH:MM", wall clock) of one local
// date ("YYYY-MM-DD"), for every request or only for those reaching one
// business unit or one group (never both). createdOn is RFC 3339.
type Adjustment struct {
	ID                  int64  `json:"id"`
	Date                string `json:"date"`
	From                string `json:"from"`
	To                  string `json:"to"`
	BusinessUnitID      int64  `json:"businessUnitId,omitempty"`
	BusinessUnitGroupID int64  `json:"businessUnitGroupId,omitempty"`
	Minutes             int    `json:"minutes"`
	Reason              string `json:"reason"`
	CreatedBy           *Actor `json:"createdBy,omitempty"`
	CreatedOn           string `json:"createdOn,omitempty"`
}

// Rule is a capacity rule record (DESIGN §4a item 12): its job types may
// take at most maxPercentage (1–100) of a window's capacity; with
// businessUnitIds, only in requests reaching one of those units.
type Rule struct {
	ID              int64   `json:"id"`
	Name            string  `json:"name"`
	JobTypeIDs      []int64 `json:"jobTypeIds"`
	BusinessUnitIDs []int64 `json:"businessUnitIds"`
	MaxPercentage   int     `json:"maxPercentage"`
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
