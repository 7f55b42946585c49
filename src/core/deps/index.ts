/**
 * Dependency readiness: which of a project's dependencies install on free-threaded CPython.
 * See README.md in this folder for an example.
 */
export { checkDependencyReadiness } from './check-dependency-readiness.js';
export type { DependencyReadinessCheck } from './check-dependency-readiness.js';
export { checkReadiness } from './check-readiness.js';
export type { DependencyReadiness, ReadinessCheck, ReadinessStatus } from './check-readiness.js';
export { compareVersions, parseVersion, versionSatisfies } from './compare-versions.js';
export type { ParsedVersion, VersionOperator } from './compare-versions.js';
export { evaluateMarker } from './evaluate-marker.js';
export type { MarkerEnvironment, MarkerEnvironmentValue, MarkerResult } from './evaluate-marker.js';
export { parseMarker } from './parse-marker.js';
export type { MarkerNode, MarkerOperator, MarkerParseResult, MarkerValue } from './parse-marker.js';
export { normalizeProjectName, parseRequirement } from './parse-requirement.js';
export type { Requirement, RequirementParseResult } from './parse-requirement.js';
export { dependencyFile, isDependencyFile, listReferencedFiles, readDependencies } from './read-dependencies.js';
export type { DeclaredDependency, DependencyFile, DependencyList, SkippedRequirement } from './read-dependencies.js';
export { renderReadiness } from './render-readiness.js';
export type { ReadinessReportFormat } from './render-readiness.js';
export { targetEnvironments } from './target-environments.js';
export type { TargetEnvironment } from './target-environments.js';
export { toReadinessJson } from './to-readiness-json.js';
export type { ReadinessJson } from './to-readiness-json.js';
