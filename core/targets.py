"""The fixed numbers the two assignment texts contract, in one table. The results page and the
quarterly report (dashboard/results.py) and the Innovatiehub pages that show progress towards
them (innovation/views.py) read them here. Targets that follow from the data (every region, every
quarter so far) are computed where they are counted."""

__all__ = ["CERTIFIED_SPECIALISTS", "TARGETS"]

# The range of specialists with a valid certification the hub works towards (result B5).
CERTIFIED_SPECIALISTS = (10, 20)

TARGETS = {
    "A4": 2,  # pilots and learning lines delivered in 2026 with outcomes and insights
    "A8": 3,  # intervision and knowledge meetings with minutes and insights
    "B4": 2,  # development lines delivered and applied nationally
    "B5": CERTIFIED_SPECIALISTS[0],  # specialists with a valid certification
    "B6": 1,  # published versions traceable to regional signals
}
