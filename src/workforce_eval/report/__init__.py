"""Reports: formatting, the section builders the notebooks call, and rendering with papermill and nbconvert."""
