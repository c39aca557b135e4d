// Package demo seeds a database with accounts a newcomer can sign in as.
// It is only used with the --demo flag; production data never has an
// account with a known password.
package demo

import (
	"context"
	"slices"

	"puente/internal/accounts"
	"puente/internal/apperr"
)

// Password is the demo accounts' password, printed at start.
const Password = "puente-demo-2021"

// Account is one seeded person.
type Account struct {
	Email, Name string
	Role        accounts.Role
	Country     string
	Lang        string
}

// Accounts are the demo people: an admin, a moderator and officials of
// several member states in both processes.
var Accounts = []Account{
	{"admin@demo.puente.test", "Ana Administradora", accounts.Admin, "PA", "es"},
	{"moderator@demo.puente.test", "Marco Moderador", accounts.Moderator, "CR", "es"},
	{"panama@demo.puente.test", "Samira Ríos", accounts.Official, "PA", "es"},
	{"mexico@demo.puente.test", "Luis Hernández", accounts.Official, "MX", "es"},
	{"brasil@demo.puente.test", "Beatriz Souza", accounts.Official, "BR", "pt"},
	{"canada@demo.puente.test", "Claire Tremblay", accounts.Official, "CA", "en"},
	{"suriname@demo.puente.test", "Sanne Pinas", accounts.Official, "SR", "nl"},
	{"colombia@demo.puente.test", "Andrés Castaño", accounts.Official, "CO", "es"},
	{"costarica@demo.puente.test", "Valeria Mora", accounts.Official, "CR", "es"},
	{"chile@demo.puente.test", "Camila Fuentes", accounts.Official, "CL", "es"},
	{"ecuador@demo.puente.test", "Diego Paredes", accounts.Official, "EC", "es"},
	{"focal.panama@demo.puente.test", "Rosa Jaén", accounts.Official, "PA", "es"},
	{"oim@demo.puente.test", "Jorge Molina", accounts.Observer, "", "es"},
}

// FocalPoints are the demo officials named focal points of their country.
var FocalPoints = []string{"focal.panama@demo.puente.test"}

// Observers are the demo observers' organisations and access.
var Observers = map[string]accounts.ObserverAccess{
	"oim@demo.puente.test": {Organisation: "Organización Internacional para las Migraciones (OIM)", Scope: accounts.ObserverBoth, Comments: true},
}

// Seed creates the demo accounts that do not exist yet; it is safe to run
// on every start. It returns how many it created.
func Seed(ctx context.Context, store *accounts.Store) (int, error) {
	created := 0
	for _, a := range Accounts {
		if _, err := store.ByEmail(ctx, a.Email); err == nil {
			continue
		} else if !apperr.Is(err, apperr.NotFound) {
			return created, err
		}
		var err error
		if o, ok := Observers[a.Email]; ok {
			_, err = store.CreateObserverDirect(ctx, a.Email, a.Name, o, a.Lang, Password)
		} else {
			_, err = store.CreateDirect(ctx, a.Email, a.Name, a.Role, a.Country, a.Lang, Password)
		}
		if err != nil {
			return created, err
		}
		created++
		if slices.Contains(FocalPoints, a.Email) {
			if err := namedFocal(ctx, store, a.Email); err != nil {
				return created, err
			}
		}
	}
	return created, nil
}

// namedFocal makes the demo account email a focal point, as the demo's
// admin would.
func namedFocal(ctx context.Context, store *accounts.Store, email string) error {
	admin, err := store.ByEmail(ctx, Accounts[0].Email)
	if err != nil {
		return err
	}
	a, err := store.ByEmail(ctx, email)
	if err != nil {
		return err
	}
	_, err = store.SetFocalPoint(ctx, admin, a.ID, true)
	return err
}
