"use strict";
// Declares the catalogue the benchmark exported next to this program, consuming the package by name as a user's
// program does. Plain JavaScript, as the program it is compared with.
const { declareCatalogue } = require("pulumi-immuta");

declareCatalogue("datasources.yaml");
