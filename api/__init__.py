"""The API (/api/v1/): read endpoints for what a user may see, writes of progress updates and
route steps, personal tokens and the profile page where they are made. It sits at the top of the
import order, beside `workspace`: it may use every domain app, and nothing imports it."""
