package tenant

import (
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/shifts"
	"github.com/opendispatch/dispatch/zones"
)

// Version is the file format version this package reads and writes.
const Version = 1

// File is the tenant file's JSON shape.
//
// Its records are the engine's own where the file and the engine agree
// field for field: business units, groups, job types, rules, appointments
// and assignments are the capacity package's types, with the file's JSON
// names, times as time.Time (RFC 3339 in the file, written in their
// offset: the tenant's, for a file saved from an engine). The others are
// this package's, because the formats differ; each says how. [Parse]
// checks the records' meaning and reports each problem with its path.
type File struct {
	Version                int    `json:"version"`
	Tenant                 string `json:"tenant"`
	TimeZone               string `json:"timeZone"`
	IdealBookingPercentage int    `json:"idealBookingPercentage,omitempty" validate:"nonzero"`
	// TravelBufferMinutes is the tenant's travel buffer, 0–1440 minutes,
	// added to a requested job's duration (DESIGN §4a item 9); 0 (the
	// default) is written as absent.
	TravelBufferMinutes int                     `json:"travelBufferMinutes,omitempty"`
	BusinessHours       hours.BusinessHours     `json:"businessHours"`
	Exceptions          []hours.Exception       `json:"exceptions"`
	ArrivalWindows      []hours.ArrivalWindow   `json:"arrivalWindows"`
	BusinessUnits       []capacity.BusinessUnit `json:"businessUnits"`
	// The capacity controls of DESIGN §4a, all optional: a tenant that
	// uses none is saved without these three members.
	BusinessUnitGroups  []capacity.BusinessUnitGroup `json:"businessUnitGroups,omitempty"`
	JobTypes            []capacity.JobType           `json:"jobTypes"`
	CapacityRules       []capacity.Rule              `json:"capacityRules,omitempty"`
	CapacityAdjustments []Adjustment                 `json:"capacityAdjustments,omitempty"`
	Zones               []zones.Zone                 `json:"zones"`
	Technicians         []Technician                 `json:"technicians"`
	Shifts              []Shift                      `json:"shifts"`
	Appointments        []capacity.Appointment       `json:"appointments"`
	Assignments         []capacity.Assignment        `json:"assignments"`
	GPSPings            []Ping                       `json:"gpsPings"`
}

// Adjustment is a capacity adjustment record (DESIGN §4a item 10): signed
// minutes added to the window from–to ("HH:MM", wall clock) of one local
// date ("YYYY-MM-DD"), for every request or only for those reaching one
// business unit or one group (never both): businessUnitId and
// businessUnitGroupId are left out for none, and one written as 0 is
// refused (it read as none: an adjustment of every request). createdOn is
// RFC 3339.
//
// It is not [capacity.Adjustment]: the file writes the date and the
// clocks as the planner does, as text whose problems the loader reports
// in the tenant's words; the engine holds them parsed.
type Adjustment struct {
	ID                  int64           `json:"id"`
	Date                string          `json:"date"`
	From                string          `json:"from"`
	To                  string          `json:"to"`
	BusinessUnitID      int64           `json:"businessUnitId,omitempty" validate:"nonzero"`
	BusinessUnitGroupID int64           `json:"businessUnitGroupId,omitempty" validate:"nonzero"`
	Minutes             int             `json:"minutes"`
	Reason              string          `json:"reason"`
	CreatedBy           *capacity.Actor `json:"createdBy,omitempty"`
	CreatedOn           string          `json:"createdOn,omitempty"`
}

// Technician is a technician record. Active defaults to true.
//
// It is not [capacity.Technician]: the file spells "active", true when
// absent, and keeps an explicit true apart from an absent one, where the
// engine's record has Inactive, whose zero value is active.
type Technician struct {
	ID             int64           `json:"id"`
	Name           string          `json:"name"`
	BusinessUnitID int64           `json:"businessUnitId"`
	Skills         []string        `json:"skills"`
	ZoneIDs        []int64         `json:"zoneIds"`
	Active         *bool           `json:"active,omitempty"`
	Home           *capacity.Point `json:"home,omitempty"`
}

// Shift is a shift record. Active defaults to true.
//
// It is not [shifts.Shift], though its fields are: the file spells
// "active", true when absent, and keeps an explicit true apart from an
// absent one, where the engine's record has Inactive, whose zero value is
// active. The loader copies it into a shifts.Shift field for field.
type Shift struct {
	ID           int64       `json:"id"`
	TechnicianID int64       `json:"technicianId"`
	ShiftType    shifts.Type `json:"shiftType"`
	Title        string      `json:"title"`
	Note         string      `json:"note"`
	Start        time.Time   `json:"start"`
	End          time.Time   `json:"end"`
	Active       *bool       `json:"active,omitempty"`
	ModifiedOn   time.Time   `json:"modifiedOn,omitzero"`
}

// Ping is a GPS ping record. It is not gps.Ping, which holds its instant
// in Unix seconds: utcDateTime is written in UTC, as the contract does.
type Ping struct {
	TechnicianID int64   `json:"technicianId"`
	Latitude     float64 `json:"latitude"`
	Longitude    float64 `json:"longitude"`
	Speed        float64 `json:"speed"`
	Heading      float64 `json:"heading"`
	UTCDateTime  string  `json:"utcDateTime"`
}
