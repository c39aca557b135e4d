package practices

// ListWhereForTest exposes the list's visibility SQL to the plan test.
var ListWhereForTest = listWhere
