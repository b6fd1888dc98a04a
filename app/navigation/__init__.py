"""The display hierarchy (plant > area > asset > signal): places, history, breadcrumb."""
