// Package expodesk is the domain of the application: the types of an expo's
// world (expos, pavilions, exhibitors, roadshow slots, delegations, people),
// their validation rules, who may do what, and the error codes every other
// layer speaks. It knows nothing of HTTP or SQL and imports nothing else of ours.
package expodesk
