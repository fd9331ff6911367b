// Every chart version, image tag, engine version and add-on version the components deploy is
// pinned here and nowhere else. Nothing uses `latest`. Bump deliberately, one line per change.
export const versions = {} as const;
