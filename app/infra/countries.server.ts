// Routes reach the country table through this module, so its names in five languages stay out of
// the browser bundle (the classic compiler empties .server modules there).
export { countryName, countryOptions, unState } from '../utils/countries'
