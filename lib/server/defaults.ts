/**
 * `{ ...defaults, ...options }`, except that an option set to `undefined`
 * keeps its default instead of erasing it (callers often forward optional
 * settings they were given).
 */
export function withDefaults<D extends object, O extends object>(defaults: D, options: O): D & O {
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return { ...defaults, ...given } as D & O;
}
