package practices

// ListWhereForTest exposes the list's visibility SQL to the plan test.
var ListWhereForTest = listWhere

// WalkRatio lets a test choose how filtered lists are found.
var WalkRatio = &walkRatio

// CardColumnsForTest exposes what a list reads of each practice to the
// plan test.
const CardColumnsForTest = indexedCardColumns
